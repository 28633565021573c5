// Form schemas for sign-in, shared by the browser (react-hook-form) and the
// server actions, so both refuse the same input with the same words.
import { z } from "zod";

import { emailSchema } from "./email";

export const loginRequestSchema = z.object({
  email: emailSchema,
  /** Where to go after signing in; checked against the action registry on the server. */
  next: z.string().max(200).optional(),
});
export type LoginRequestInput = z.input<typeof loginRequestSchema>;

export const loginCodeSchema = z.object({
  code: z
    .string({ error: "Enter the 6-digit code from the mail" })
    // People paste "123 456" or "123-456" as the mail shows it.
    .transform((value) => value.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the mail")),
});
export type LoginCodeInput = z.input<typeof loginCodeSchema>;
