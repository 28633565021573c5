/**
 * Set by server.ts from the TCP peer address on every request, overwriting
 * anything a client sent under that name. (A module of its own: server.ts runs
 * outside Next.js and must not import server-only code.)
 */
export const CLIENT_IP_HEADER = "x-ticketgate-client-ip";
