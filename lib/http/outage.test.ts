import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { answerOutagesWith503, createOutageProbe } from "./outage";

describe("pages during a database outage", () => {
  let server: Server;
  let base: string;
  let down = false;
  let errorsSeen = 0;

  beforeAll(async () => {
    // Stands in for Next.js: some paths fail as a page does when the database is gone.
    server = createServer((req, res) => {
      answerOutagesWith503(res, () => down, () => errorsSeen++);
      if (req.url === "/explicit") return void res.writeHead(500, { "Content-Type": "text/plain" }).end("error page");
      if (req.url === "/implicit") {
        res.statusCode = 500;
        return void res.end("error page");
      }
      if (req.url === "/missing") return void res.writeHead(404).end();
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("turns 500 into 503 with Retry-After while the database is down, however the 500 is written, and keeps the page", async () => {
    down = true;
    for (const path of ["/explicit", "/implicit"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.text()).toBe("error page");
    }
    expect((await fetch(`${base}/missing`)).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });

  it("leaves a 500 alone while the database is up: then it is a bug, and says so", async () => {
    down = false;
    const before = errorsSeen;
    const res = await fetch(`${base}/explicit`);
    expect(res.status).toBe(500);
    expect(res.headers.get("retry-after")).toBeNull();
    // …and asks for a probe now, so an outage that just began is noticed by the next request.
    expect(errorsSeen).toBe(before + 1);
  });

  it("the probe follows the check: down on failure or timeout, up again when it answers", async () => {
    let answer: "ok" | "fail" | "hang" = "ok";
    const probe = createOutageProbe(() => (answer === "ok" ? Promise.resolve() : answer === "fail" ? Promise.reject(new Error("ECONNREFUSED")) : new Promise(() => {})), { intervalMs: 60_000, timeoutMs: 50 });
    try {
      expect(await probe.probeNow()).toBe(false);
      answer = "fail";
      expect(await probe.probeNow()).toBe(true);
      expect(probe.isDown()).toBe(true);
      answer = "ok";
      expect(await probe.probeNow()).toBe(false);
      answer = "hang";
      expect(await probe.probeNow()).toBe(true);
    } finally {
      probe.stop();
    }
  });
});
