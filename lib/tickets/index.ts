// The ticket core's public surface. See service.ts for the operations.
export { type ActionPathCheck, type ActionPathRegistry, createActionPathRegistry } from "./action-paths";
export { type CancelNotice, type CancelNotifier, type CancelOutcome, MAX_REASON_LENGTH, type RedeemForOutcome, type RedeemForResult } from "./cancel";
export {
  type IssueInput,
  type PeekOptions,
  type PeekResult,
  type TicketRef,
  type RedeemOutcome,
  type RedeemResult,
  type Result,
  TICKET_ERRORS,
  type TicketErrorCode,
  type TicketService,
  type TicketServiceOptions,
  type TicketView,
  type UseOptions,
  createTicketService,
  systemClock,
} from "./service";
export { generateTicket, hashTicket, isWellFormedTicket } from "./token";
export * from "./types";
