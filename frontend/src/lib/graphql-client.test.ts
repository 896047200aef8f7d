import { afterAll, describe, expect, it, vi } from "vitest";

import { fakeApi } from "@/features/auth/testing/fake-api";

// A WebSocket the test plays the server of (graphql-transport-ws), installed before the
// client module creates its socket.
class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: FakeWebSocket[] = [];
  readyState = FakeWebSocket.CONNECTING;
  protocol: string;
  sent: { type: string; id?: string; payload?: unknown }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    protocol: string,
  ) {
    this.protocol = protocol;
    FakeWebSocket.opened.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as FakeWebSocket["sent"][number]);
  }
  close(code = 1000, reason = "") {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason, wasClean: true });
  }
  open() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.();
  }
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

vi.stubGlobal("WebSocket", FakeWebSocket);
const { socket } = await import("./graphql-client");
const { login, logout } = await import("./session");

afterAll(() => {
  vi.unstubAllGlobals();
});

describe("the subscriptions' socket", () => {
  it("reconnects with the new token when the session changes, and subscribes again", async () => {
    vi.useFakeTimers();
    const sink = { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
    const query = "subscription { metricsUpdated(period: TODAY) { totalOrders } }";
    socket.subscribe({ query }, sink);

    await vi.waitFor(() => expect(FakeWebSocket.opened).toHaveLength(1));
    const first = FakeWebSocket.opened[0]!;
    expect(first.url).toBe(`ws://${window.location.host}/graphql`);
    first.open();
    await vi.waitFor(() => expect(first.sent[0]).toEqual({ type: "connection_init", payload: {} }));
    first.receive({ type: "connection_ack" });
    await vi.waitFor(() => expect(first.sent[1]).toMatchObject({ type: "subscribe", payload: { query } }));

    const ada = { email: "ada@shop.test", password: "pw", role: "admin" as const };
    vi.stubGlobal("fetch", vi.fn(fakeApi({ users: [ada] }).fetch));
    await login("ada@shop.test", "pw");
    await vi.advanceTimersByTimeAsync(5_000); // graphql-ws waits (1 to 4 s) before reconnecting

    expect(FakeWebSocket.opened).toHaveLength(2);
    const second = FakeWebSocket.opened[1]!;
    second.open();
    await vi.waitFor(() =>
      expect(second.sent[0]).toEqual({
        type: "connection_init",
        payload: { Authorization: "Bearer token-1-ada@shop.test" },
      }),
    );
    second.receive({ type: "connection_ack" });
    await vi.waitFor(() => expect(second.sent[1]).toMatchObject({ type: "subscribe", payload: { query } }));
    const id = second.sent[1]!.id;
    second.receive({ type: "next", id, payload: { data: { metricsUpdated: { totalOrders: 3 } } } });
    expect(sink.next).toHaveBeenCalledWith({ data: { metricsUpdated: { totalOrders: 3 } } });
    expect(sink.error).not.toHaveBeenCalled();

    await logout();
    vi.useRealTimers();
  });
});
