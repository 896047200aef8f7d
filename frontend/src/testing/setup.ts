import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// A lazily loaded route is transformed on first import; on a loaded CI machine that
// takes longer than Testing Library's default 1 s wait. What is waited for is unchanged.
configure({ asyncUtilTimeout: 5000 });

afterEach(cleanup);
