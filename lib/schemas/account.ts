/** Account forms: the same schemas validate the browser form and the server action. */
import { z } from "zod";
import { LIMITS } from "@/lib/limits";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(LIMITS.auth.EMAIL_MAX_CHARS, `Email must be at most ${LIMITS.auth.EMAIL_MAX_CHARS} characters`)
  .pipe(z.email("Enter a valid email address"));

export const newPasswordSchema = z
  .string()
  .min(
    LIMITS.auth.PASSWORD_MIN_CHARS,
    `Password must be at least ${LIMITS.auth.PASSWORD_MIN_CHARS} characters`,
  )
  .max(
    LIMITS.auth.PASSWORD_MAX_CHARS,
    `Password must be at most ${LIMITS.auth.PASSWORD_MAX_CHARS} characters`,
  );

/** Sign-in accepts any non-empty password up to the maximum: old rules must not lock people out. */
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(LIMITS.auth.PASSWORD_MAX_CHARS),
});

export const signUpSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(100, "Name must be at most 100 characters").optional(),
  password: newPasswordSchema,
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(LIMITS.auth.PASSWORD_MAX_CHARS),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "The new passwords do not match",
  });

export const deleteAccountSchema = z.object({
  confirm: z.literal("delete my account", { message: 'Type "delete my account" to confirm' }),
});
