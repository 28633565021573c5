import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role: string } & Omit<DefaultSession["user"], "id">;
  }
}
