import { handlers } from "@/lib/sessions/auth.server";

export const { GET, POST } = handlers;
