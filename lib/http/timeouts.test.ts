import { type IncomingMessage, type Server, createServer } from "node:http";
import net, { type AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checkMultipart, isMultipart } from "./form-guard";
import { timeoutOptions } from "./timeouts";

// Short limits so the test runs in seconds; server.ts uses the defaults (30 s, 10 s).
const LIMITS = { requestMs: 2_000, headersMs: 1_000, keepAliveMs: 1_000, checkEveryMs: 200 };
const FORM = '--boundary\r\nContent-Disposition: form-data; name="email"\r\n\r\nada@example.com\r\n--boundary--\r\n';

/** Sends `head`, then `body` one byte every `everyMs`; resolves what the server answered once it closes the connection. */
function trickle(port: number, head: string, body: string, everyMs: number): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < body.length && socket.writable) socket.write(body.charAt(sent++));
    }, everyMs);
    socket.on("connect", () => socket.write(head));
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
    // A bounded wait: a connection still open long after the limit is the failure.
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server still held the connection after 15 s (sent ${sent} bytes)`));
    }, 15_000).unref();
  });
}

describe("request timeouts (lib/http/timeouts.ts)", () => {
  let server: Server;
  let port: number;
  const forwarded: string[] = [];

  beforeAll(async () => {
    // What server.ts does with a multipart POST: form-guard.ts reads the body, then hands it on.
    server = createServer(timeoutOptions(LIMITS), (req, res) => {
      void (async () => {
        const next: IncomingMessage | null = isMultipart(req.headers["content-type"]) ? await checkMultipart(req, res) : req;
        if (!next) return;
        forwarded.push(`${next.method} ${next.url}`);
        res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('rule "Every form is a plain HTML form first": a body that trickles in cannot hold a socket', { timeout: 20_000 }, async () => {
    const head = `POST /ticket/slow HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=boundary\r\nContent-Length: ${FORM.length}\r\n\r\n`;
    // One byte every 500 ms: the whole form would take about 40 s.
    const slow = trickle(port, head, FORM, 500);

    // Meanwhile the server answers others.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const other = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2_000) });
    expect(other.status).toBe(200);

    const { answer, closedAfterMs } = await slow;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(LIMITS.requestMs + 2_000);
    // The half-sent form never reached the handler behind the guard (Next.js in server.ts).
    expect(forwarded).not.toContain("POST /ticket/slow");
  });

  it('rule "Every form is a plain HTML form first": headers that trickle in cannot hold a socket', { timeout: 20_000 }, async () => {
    const { answer, closedAfterMs } = await trickle(port, "GET /slow-headers HTTP/1.1\r\n", "Host: localhost\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n", 300);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(LIMITS.headersMs + 2_000);
    expect(forwarded).not.toContain("GET /slow-headers");
  });

  it("still serves a slow form that arrives within the limit", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/ticket/in-time`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=boundary" },
      body: new ReadableStream({
        async start(controller) {
          for (const part of [FORM.slice(0, 20), FORM.slice(20, 40), FORM.slice(40)]) {
            controller.enqueue(new TextEncoder().encode(part));
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(forwarded).toContain("POST /ticket/in-time");
  });
});
