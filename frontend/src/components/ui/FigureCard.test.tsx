import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { formatChange, formatMoney } from "@/lib/format";

import { FigureCard } from "./FigureCard";

describe("FigureCard", () => {
  it("shows the exact amount and its change under its label", () => {
    render(
      <FigureCard
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
    render(<FigureCard label="Orders" value="120" change={formatChange(-5, "en-US")} />);
    const change = within(screen.getByRole("article", { name: "Orders" })).getByText(/-5\.0%/);
    expect(change).toHaveClass("kpi__change--down");
  });

  it("says so when there is nothing to compare with", () => {
    render(<FigureCard label="Margin" value="23.5%" change={null} noChange="New this period" />);
    const card = screen.getByRole("article", { name: "Margin" });
    expect(within(card).getByText("New this period")).toBeInTheDocument();
    expect(within(card).queryByText(/vs previous period/)).not.toBeInTheDocument();
  });

  it("shows a note, and no change line for a figure without a comparison", () => {
    render(<FigureCard label="Cost" value="$12.30" note="Item cost at the time of sale" />);
    const card = screen.getByRole("article", { name: "Cost" });
    expect(card).toHaveTextContent("$12.30Item cost at the time of sale");
    expect(within(card).queryByText("No comparison")).not.toBeInTheDocument();
  });
});
