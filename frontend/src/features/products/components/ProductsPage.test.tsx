import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { CombinedError, getOperationName, type Operation } from "urql";
import type { Mock } from "vitest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { CatalogNextPageQuery, CatalogProductFragment, CatalogQuery } from "@/gql/graphql";
import { downloadCsv } from "@/lib/csv";
import {
  answering,
  failing,
  networkClient,
  pending,
  queriesOf,
  renderPage,
} from "@/testing/urql-stub";

import { ProductsPage } from "./ProductsPage";

const SHOP = { name: "Corner Shop", currency: "USD", timezone: "UTC" };
const CATEGORIES = [
  { id: "1", name: "Shoes", parentId: null },
  { id: "12", name: "Boots", parentId: "1" },
  { id: "2", name: "Garden", parentId: null },
];
const BRANDS = [
  { name: "Acme", productCount: 2 },
  { name: "Zeta", productCount: 1 },
];

function product(id: number, overrides: Partial<CatalogProductFragment> = {}): CatalogProductFragment {
  return {
    id: String(id),
    sku: `SKU-${id}`,
    name: `Product ${id}`,
    brand: "Acme",
    categoryId: "12",
    sellingPrice: "19.99",
    costPrice: "7.05",
    stockQuantity: 40,
    reorderLevel: 10,
    isActive: true,
    ...overrides,
  };
}

type Connection = CatalogQuery["products"];

function connection(nodes: CatalogProductFragment[], total: number, next: string | null): Connection {
  return {
    totalCount: total,
    pageInfo: { hasNextPage: next !== null, endCursor: next ?? nodes.at(-1)?.id ?? null },
    edges: nodes.map((node) => ({ node })),
  };
}

const catalog = (products: Connection): CatalogQuery => ({
  shopInfo: SHOP,
  categories: CATEGORIES,
  brands: BRANDS,
  products,
});

/** The catalog in pages: the first page answers Catalog, the later ones CatalogNextPage. */
function pagedApi(pages: CatalogProductFragment[][]) {
  const total = pages.flat().length;
  const page = (after: string | null) => {
    const index = after === null ? 0 : Number(after.replace("page-", ""));
    const rows = pages[index] ?? [];
    return connection(rows, total, index + 1 < pages.length ? `page-${index + 1}` : null);
  };
  return answering<CatalogQuery | CatalogNextPageQuery>((operation: Operation) => {
    const after = (operation.variables as { after?: string | null }).after ?? null;
    if (getOperationName(operation.query) === "Catalog") return catalog(page(null));
    return { products: page(after) };
  });
}

/** The catalog page at ``url``, its client asking ``api`` (the table pages through client.query). */
const open = (api: Mock, url: string) =>
  renderPage(<ProductsPage />, networkClient(api), url, "/products");

const location = () => screen.getByRole("status", { name: "location" });

vi.mock("@/lib/csv", async (original) => ({
  ...(await original<typeof import("@/lib/csv")>()),
  downloadCsv: vi.fn(),
}));

beforeEach(() => {
  vi.mocked(downloadCsv).mockClear();
  // jsdom lays nothing out, so the virtualized table would show no row: give every element a
  // 1000 x 600 client box (restored by vi.restoreAllMocks).
  vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(600);
  vi.spyOn(Element.prototype, "clientWidth", "get").mockReturnValue(1000);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("ProductsPage: the catalog", () => {
  it("shows the products to the cent with their category, stock flags and the count", async () => {
    const api = pagedApi([
      [
        product(1, { name: "Trail Boot", sellingPrice: "1234.5", costPrice: "600.05" }),
        product(2, { name: "Rain Boot", stockQuantity: 3, brand: null, isActive: false }),
        product(3, { name: "Garden Hose", categoryId: "2", stockQuantity: 0 }),
      ],
    ]);
    open(api, "/products");

    const table = await screen.findByRole("table", { name: "Products" });
    const boot = within(table).getByRole("rowheader", { name: "Trail Boot" }).closest("tr")!;
    expect(boot).toHaveTextContent("$1,234.50");
    expect(boot).toHaveTextContent("$600.05");
    expect(boot).toHaveTextContent("Shoes › Boots");
    expect(within(boot).getByRole("link", { name: "Trail Boot" })).toHaveAttribute("href", "/products/1");
    const rain = within(table).getByRole("rowheader", { name: "Rain Boot" }).closest("tr")!;
    expect(rain).toHaveTextContent("Low stock: 3");
    expect(rain).toHaveTextContent("No");
    const hose = within(table).getByRole("rowheader", { name: "Garden Hose" }).closest("tr")!;
    expect(hose).toHaveTextContent("Out stock: 0");
    expect(hose).toHaveTextContent("Garden");
    expect(screen.getByText("Showing 3 of 3 products")).toBeInTheDocument();
    expect(screen.getByText("All 3 products shown.")).toBeInTheDocument();
    expect(queriesOf(api)).toHaveLength(1);
  });

  it("sends the URL's search, filters and sort, and offers them in the controls", async () => {
    const api = pagedApi([[product(1)]]);
    open(api, "/products?q=boot&category=12&brand=Acme&min=10&max=99.5&stock=in&sort=PRICE&dir=DESC");
    await screen.findByRole("table", { name: "Products" });
    expect(queriesOf(api)[0]?.variables).toEqual({
      first: 100,
      filter: {
        search: "boot",
        categoryId: "12",
        brand: "Acme",
        minPrice: "10",
        maxPrice: "99.5",
        inStock: true,
      },
      sort: { field: "PRICE", direction: "DESC" },
    });
    expect(screen.getByRole("searchbox", { name: "Search" })).toHaveValue("boot");
    expect(screen.getByRole("combobox", { name: "Category" })).toHaveValue("12");
    expect(screen.getByRole("combobox", { name: "Brand" })).toHaveValue("Acme");
    expect(screen.getByRole("textbox", { name: "Min price" })).toHaveValue("10");
    expect(screen.getByRole("checkbox", { name: "In stock only" })).toBeChecked();
    expect(screen.getByRole("columnheader", { name: /Price/ })).toHaveAttribute("aria-sort", "descending");
  });

  it("leaves out what it cannot read from the URL", async () => {
    const api = pagedApi([[product(1)]]);
    open(api, "/products?category=shoes&min=ten&max=-3&sort=COLOUR&dir=UP");
    await screen.findByRole("table", { name: "Products" });
    expect(queriesOf(api)[0]?.variables).toEqual({
      first: 100,
      filter: {},
      sort: { field: "NAME", direction: "ASC" },
    });
  });

  it("writes typed searches, picked filters and header sorts into the URL and asks again", async () => {
    const api = pagedApi([[product(1)]]);
    open(api, "/products?period=YEAR");
    await screen.findByRole("table", { name: "Products" });

    fireEvent.change(screen.getByRole("searchbox", { name: "Search" }), { target: { value: "trail" } });
    await waitFor(() => expect(location()).toHaveTextContent("q=trail"));
    fireEvent.change(screen.getByRole("combobox", { name: "Category" }), { target: { value: "1" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "In stock only" }));
    fireEvent.change(screen.getByRole("textbox", { name: "Max price" }), { target: { value: "49.9" } });
    await waitFor(() => expect(location()).toHaveTextContent("max=49.9"));
    await screen.findByRole("table", { name: "Products" });
    fireEvent.click(screen.getByRole("button", { name: /Stock/ }));

    await waitFor(() => expect(location()).toHaveTextContent("sort=STOCK&dir=DESC"));
    expect(location()).toHaveTextContent("period=YEAR");
    await waitFor(() =>
      expect(queriesOf(api).at(-1)?.variables).toEqual({
        first: 100,
        filter: { search: "trail", categoryId: "1", maxPrice: "49.9", inStock: true },
        sort: { field: "STOCK", direction: "DESC" },
      }),
    );
  });

  it("does not send a price it cannot read, and says so", async () => {
    const api = pagedApi([[product(1)]]);
    open(api, "/products");
    await screen.findByRole("table", { name: "Products" });
    const min = screen.getByRole("textbox", { name: "Min price" });
    fireEvent.change(min, { target: { value: "12,5" } });
    expect(min).toHaveAttribute("aria-invalid", "true");
    expect(min).toHaveAccessibleDescription("An amount like 19.99");
    expect(location()).toBeEmptyDOMElement();
  });

  it("loads the next page after the last cursor as the reader reaches the end", async () => {
    const first = Array.from({ length: 3 }, (_, i) => product(i + 1));
    const second = [product(4, { name: "Zz Last" })];
    const api = pagedApi([first, second]);
    open(api, "/products?q=x");

    expect(await screen.findByText("Showing 4 of 4 products")).toBeInTheDocument();
    expect(screen.getByRole("rowheader", { name: "Zz Last" })).toBeInTheDocument();
    const later = queriesOf(api, "CatalogNextPage");
    expect(later).toHaveLength(1);
    expect(later[0]?.variables).toEqual({
      first: 100,
      after: "page-1",
      filter: { search: "x" },
      sort: { field: "NAME", direction: "ASC" },
    });
  });

  it("exports every product of the current filter, page after page, as CSV", async () => {
    const api = pagedApi([
      [product(1, { name: "=HYPERLINK(1)", sellingPrice: "1234.50" })],
      [product(2, { name: 'Boot, "wide"', brand: null, categoryId: "2", isActive: false })],
    ]);
    open(api, "/products?brand=Acme");
    await screen.findByRole("table", { name: "Products" });

    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));

    await waitFor(() => expect(downloadCsv).toHaveBeenCalledTimes(1));
    const [filename, csv] = vi.mocked(downloadCsv).mock.lastCall!;
    expect(filename).toBe("products-filtered.csv");
    expect(csv).toBe(
      "Product,SKU,Category,Brand,Price,Cost,Stock,Reorder at,Active\r\n" +
        "'=HYPERLINK(1),SKU-1,Shoes › Boots,Acme,1234.50,7.05,40,10,yes\r\n" +
        '"Boot, ""wide""",SKU-2,Garden,,19.99,7.05,40,10,no\r\n',
    );
    const exported = queriesOf(api, "CatalogNextPage").filter((o) => o.context.requestPolicy === "network-only");
    expect(exported.map((o) => (o.variables as { filter: object }).filter)).toContainEqual({ brand: "Acme" });
  });

  it("says when no product matches and offers to clear the filters", async () => {
    const api = answering(catalog(connection([], 0, null)));
    open(api, "/products?q=nothing");
    expect(await screen.findByRole("heading", { name: "No products match these filters" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(location()).toBeEmptyDOMElement());
  });

  it("shows a skeleton while loading and says what to do when the API fails", async () => {
    const { unmount } = open(pending(), "/products");
    expect(screen.getByLabelText("Loading the catalog")).toHaveAttribute("aria-busy", "true");
    unmount();

    open(failing(new CombinedError({ networkError: new Error("Failed to fetch") })), "/products");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Check that the server is running");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
