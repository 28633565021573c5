// Form schemas for sign-in, shared by the browser (react-hook-form) and the
// server actions, so both refuse the same input with the same words.
import { z } from "zod";

import { PASSWORD_MAX_LENGTH } from "./account";
import { emailSchema } from "./email";

export const loginRequestSchema = z.object({
  email: emailSchema,
  /** Where to go after signing in; checked against the action registry on the server. */
  next: z.string().max(200).optional(),
});
export type LoginRequestInput = z.input<typeof loginRequestSchema>;

/**
 * The sign-in page's one form, as the browser checks it: the address always,
 * a password only in password mode (the page asks for it then). The server
 * checks each mode with its own schema: this one, or passwordSignInSchema.
 */
export const signInFieldsSchema = loginRequestSchema.extend({
  password: z.string().max(PASSWORD_MAX_LENGTH, "That password is too long").optional(),
});
export type SignInFields = z.input<typeof signInFieldsSchema>;

export const loginCodeSchema = z.object({
  code: z
    .string({ error: "Enter the 6-digit code from the mail" })
    // People paste "123 456" or "123-456" as the mail shows it.
    .transform((value) => value.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from the mail")),
});
export type LoginCodeInput = z.input<typeof loginCodeSchema>;
