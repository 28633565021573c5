// Child program for tests/process/cluster-liveness.test.ts: stands in for
// server.ts under the cluster's supervisor (lib/process/supervisor.ts).
// Listens on PORT and answers:
//   GET /api/health  200, or 503 after /unhealthy (the app's answer while its database is down)
//   GET /state       its pid and how many health checks it has answered (the supervisor's, as the test never asks /api/health of a live child it watches)
//   GET /unhealthy   from now on /api/health answers 503
//   GET /block       answers, then spins forever: an event loop that never comes back
//   GET /exit        answers, then exits with status 1
import { createServer } from "node:http";

let healthy = true;
let checks = 0;

createServer((req, res) => {
  const reply = (status: number, body: object) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ pid: process.pid, ...body }));
  switch (req.url) {
    case "/api/health":
      checks += 1;
      return void reply(healthy ? 200 : 503, {});
    case "/state":
      return void reply(200, { checks });
    case "/unhealthy":
      healthy = false;
      return void reply(200, {});
    case "/block":
      reply(200, {});
      setTimeout(() => {
        for (;;) {
          // Nothing: the loop never yields, so no request is answered again.
        }
      }, 50);
      return;
    case "/exit":
      reply(200, {});
      setTimeout(() => process.exit(1), 50);
      return;
    default:
      return void reply(404, {});
  }
}).listen(Number(process.env.PORT), "127.0.0.1");
