import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checkMultipart, isMultipart } from "./form-guard";

describe("the multipart guard in front of Next.js", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // Behind the guard, a handler that reads the replayed body the way Next.js does (a web Request).
    server = createServer((req, res) => {
      void (async () => {
        const forwarded: IncomingMessage | null = isMultipart(req.headers["content-type"]) ? await checkMultipart(req, res, 4_096) : req;
        if (!forwarded) return;
        const chunks: Buffer[] = [];
        for await (const chunk of forwarded) chunks.push(chunk as Buffer);
        const form = await new Response(Buffer.concat(chunks), { headers: { "content-type": String(forwarded.headers["content-type"]) } }).formData();
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ method: forwarded.method, url: forwarded.url, fields: Object.fromEntries(form) }));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("recognises multipart content types only", () => {
    expect(isMultipart("multipart/form-data; boundary=x")).toBe(true);
    expect(isMultipart("Multipart/Form-Data")).toBe(true);
    expect(isMultipart("application/x-www-form-urlencoded")).toBe(false);
    expect(isMultipart("text/plain;charset=UTF-8")).toBe(false);
    expect(isMultipart(undefined)).toBe(false);
  });

  it("passes a valid form on with the same method, URL and fields", async () => {
    const form = new FormData();
    form.set("email", "ada@example.com");
    form.set("note", "é\r\n😀");
    const res = await fetch(`${base}/login?x=1`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: "POST", url: "/login?x=1", fields: { email: "ada@example.com", note: "é\r\n😀" } });
  });

  it.each([
    ["no boundary", "multipart/form-data", "--x\r\n\r\n--x--"],
    ["empty boundary", "multipart/form-data; boundary=", "--x\r\n"],
    ["garbage", "multipart/form-data; boundary=x", "garbage"],
    ["unterminated part", "multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c'],
  ])("refuses a malformed body (%s) with a 400 that says what to do", async (_name, type, body) => {
    const res = await fetch(`${base}/login`, { method: "POST", headers: { "Content-Type": type }, body });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The form could not be read");
  });

  it("refuses a body over the limit with a 413, declared or not", async () => {
    const big = `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${"a".repeat(8_000)}\r\n--x--\r\n`;
    const declared = await fetch(`${base}/login`, { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: big });
    expect(declared.status).toBe(413);
    const streamed = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=x" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });
});
