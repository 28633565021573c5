// Form schemas for passwords and account changes, shared by the browser
// (react-hook-form) and the server actions, so both refuse the same input
// with the same words.
import { z } from "zod";

import { emailSchema } from "./email";

/** Shortest password accepted when one is set. Length is what makes a password hard to guess. */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest password accepted: argon2 would hash megabytes, and nobody types them. */
export const PASSWORD_MAX_LENGTH = 200;

/** A new password: what setting, resetting and sign-up accept. */
export const newPasswordSchema = z
  .string({ error: "Enter a password" })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

/** New password typed twice. */
export const setPasswordSchema = z
  .object({ password: newPasswordSchema, confirm: z.string({ error: "Type the password again" }) })
  .refine((value) => value.password === value.confirm, { message: "The two passwords are not the same", path: ["confirm"] });
export type SetPasswordInput = z.input<typeof setPasswordSchema>;

/** Changing a password on /account: the current one when there is one. */
export const changePasswordSchema = z
  .object({ current: z.string().max(PASSWORD_MAX_LENGTH).optional(), password: newPasswordSchema, confirm: z.string({ error: "Type the password again" }) })
  .refine((value) => value.password === value.confirm, { message: "The two passwords are not the same", path: ["confirm"] });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/**
 * Signing in with a password. The policy of new passwords is not applied
 * here: telling someone "at least 10 characters" on sign-in only helps guessers.
 */
export const passwordSignInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(PASSWORD_MAX_LENGTH, "That password is too long"),
  next: z.string().max(200).optional(),
});
export type PasswordSignInInput = z.input<typeof passwordSignInSchema>;

/** One address: /reset, /signup, and the new address of an e-mail change. */
export const addressSchema = z.object({ email: emailSchema });
export type AddressInput = z.input<typeof addressSchema>;

/** A name for a personal API token. */
export const apiTokenNameSchema = z.object({
  name: z
    .string({ error: "Give the token a name" })
    .trim()
    .min(1, "Give the token a name")
    .max(60, "Use at most 60 characters")
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "Use one line of plain text"),
});
export type ApiTokenNameInput = z.input<typeof apiTokenNameSchema>;
