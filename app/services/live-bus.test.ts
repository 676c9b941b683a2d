import { describe, expect, it } from "vitest";
import { closeSessionStreams, eventStreamResponse, openStreamCount, publish } from "./live-bus.server";

async function readUntil(reader: ReadableStreamDefaultReader<string>, seen: { text: string }, pattern: RegExp): Promise<void> {
  while (!pattern.test(seen.text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${pattern}`);
    seen.text += value;
  }
}

function open(scope: object, options: { stillAllowed?: () => Promise<boolean>; heartbeatMs?: number; sessionIdHash?: string } = {}) {
  const abort = new AbortController();
  let calls = 0;
  const response = eventStreamResponse(new Request("http://localhost/s", { signal: abort.signal }), ["topic:a"], {
    scope,
    memberId: 1,
    sessionIdHash: options.sessionIdHash ?? "s1",
    onOpen: () => Promise.resolve({ event: "hello", data: { n: 0 } }),
    onPublish: async (data) => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return { event: "got", data };
    },
    stillAllowed: options.stillAllowed,
    heartbeatMs: options.heartbeatMs,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  return { response, reader, abort, calls: () => calls };
}

describe("eventStreamResponse", () => {
  it("sends the opening event, coalesces a burst of publishes, and frees its slot on abort", async () => {
    const scope = {};
    const stream = open(scope);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const seen = { text: "" };
    await readUntil(stream.reader, seen, /event: hello\ndata: \{"n":0\}\n\n/);
    for (let i = 1; i <= 20; i++) publish("topic:a", { i });
    await readUntil(stream.reader, seen, /data: \{"i":20\}/);
    // The first publish was being turned while nineteen more came: they were sent as one.
    expect(stream.calls()).toBe(2);
    expect(openStreamCount(scope)).toBe(1);
    stream.abort.abort();
    expect(openStreamCount(scope)).toBe(0);
  });

  it("pings at each heartbeat while allowed, and closes once the session no longer stands", async () => {
    const scope = {};
    let allowed = true;
    const stream = open(scope, { heartbeatMs: 10, stillAllowed: () => Promise.resolve(allowed) });
    const seen = { text: "" };
    await readUntil(stream.reader, seen, /: ping\n\n/);
    allowed = false;
    for (;;) {
      const { done } = await stream.reader.read();
      if (done) break;
    }
    expect(openStreamCount(scope)).toBe(0);
  });

  it("refuses the sixth stream of a member with 429 and closes a signed-out session's streams", async () => {
    const scope = {};
    const streams = Array.from({ length: 5 }, () => open(scope, { sessionIdHash: "gone" }));
    expect(streams.every((s) => s.response.status === 200)).toBe(true);
    expect(open(scope).response.status).toBe(429);
    closeSessionStreams("gone");
    expect(openStreamCount(scope)).toBe(0);
    expect(open(scope).response.status).toBe(200);
  });
});
