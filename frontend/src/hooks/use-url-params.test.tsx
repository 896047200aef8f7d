import { act, render, screen } from "@testing-library/react";
import { MemoryRouter, useLocation } from "react-router-dom";
import { describe, expect, it } from "vitest";

import { usePeriodParams } from "./use-period-params";
import { useUrlParam } from "./use-url-param";

function Controls() {
  const [, setLimit] = useUrlParam("limit");
  const [, setMonths] = useUrlParam("months");
  const [, setPeriod] = usePeriodParams();
  const { search } = useLocation();
  return (
    <>
      <button
        type="button"
        onClick={() => {
          // three controls changed before the router renders the first change
          setLimit("50");
          setMonths("24");
          setPeriod({ period: "YEAR" });
        }}
      >
        Change all
      </button>
      <output aria-label="location">{search}</output>
    </>
  );
}

describe("URL parameters", () => {
  it("keeps every change made before the next render, across the hooks of a page", () => {
    render(
      <MemoryRouter initialEntries={["/customers?period=MONTH"]}>
        <Controls />
      </MemoryRouter>,
    );
    act(() => screen.getByRole("button", { name: "Change all" }).click());
    expect(screen.getByRole("status", { name: "location" })).toHaveTextContent(
      "?period=YEAR&limit=50&months=24",
    );
  });
});
