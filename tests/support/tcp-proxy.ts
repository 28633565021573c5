// A loopback TCP proxy for fault tests: the app connects through it to a real
// server (PostgreSQL), and the test cuts the line — every open connection is
// destroyed and new ones are dropped at once — or stalls it (connections stay
// open, nothing gets through: packets dropped on the way), then restores it.
import net from "node:net";

export interface TcpProxy {
  port: number;
  /** Destroys every connection and drops new ones until restore(). */
  cut(): void;
  /** Keeps every connection open but forwards nothing, either way, until restore(). */
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let down = false;
  let stalled = false;
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    client.on("data", (chunk: Buffer) => void (stalled || upstream.write(chunk)));
    upstream.on("data", (chunk: Buffer) => void (stalled || client.write(chunk)));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    stall() {
      stalled = true;
    },
    restore() {
      down = false;
      stalled = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
