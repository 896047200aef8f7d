import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { formatChange, formatMoney } from "@/lib/format";

import { KpiCard } from "./KpiCard";

describe("KpiCard", () => {
  it("shows the exact amount and its change under its label", () => {
    render(
      <KpiCard
        label="Revenue"
        value={formatMoney("1234567.89", "USD", "en-US")}
        change={formatChange(12.34, "en-US")}
      />,
    );
    const card = screen.getByRole("article", { name: "Revenue" });
    expect(within(card).getByText("$1,234,567.89")).toBeInTheDocument();
    expect(within(card).getByText(/\+12\.3%/)).toHaveTextContent("+12.3% vs previous period");
  });

  it("says a fall is a fall", () => {
    render(<KpiCard label="Orders" value="120" change={formatChange(-5, "en-US")} />);
    const change = within(screen.getByRole("article", { name: "Orders" })).getByText(/-5\.0%/);
    expect(change).toHaveClass("kpi__change--down");
  });

  it("says so when there is nothing to compare with", () => {
    render(<KpiCard label="Margin" value="23.5%" change={null} noChange="New this period" />);
    const card = screen.getByRole("article", { name: "Margin" });
    expect(within(card).getByText("New this period")).toBeInTheDocument();
    expect(within(card).queryByText(/vs previous period/)).not.toBeInTheDocument();
  });
});
