import type { ReactNode } from "react";
import { Provider as UrqlProvider } from "urql";

import { graphqlClient } from "@/lib/graphql-client";

export function AppProvider({ children }: { children: ReactNode }) {
  return <UrqlProvider value={graphqlClient}>{children}</UrqlProvider>;
}
