"use server";
/** Sign-up, sign-in and sign-out form actions (Next checks their Origin, which stops CSRF). */
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/app/_server/auth/auth";
import { getDatabase } from "@/app/_server/db/client";
import { createUser, EmailTakenError } from "@/app/_server/db/queries/users";
import { type FormState, fieldErrorsFrom, safeReturnPath } from "@/lib/form-state";
import { signInSchema, signUpSchema } from "@/lib/schemas/account";

function signInFailure(error: unknown, email: string): FormState {
  if (error instanceof CredentialsSignin && error.code.startsWith("throttled_")) {
    const seconds = error.code.slice("throttled_".length);
    return {
      status: "error",
      message: `Too many sign-in attempts. Try again in ${seconds} seconds.`,
      values: { email },
    };
  }
  if (error instanceof CredentialsSignin && error.code.startsWith("unavailable_")) {
    return {
      status: "error",
      message: "Sign-in is unavailable for a moment. Try again shortly.",
      values: { email },
    };
  }
  if (error instanceof AuthError) {
    return { status: "error", message: "Wrong email or password.", values: { email } };
  }
  throw error;
}

export async function signInAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  const email = String(form.get("email") ?? "");
  if (!parsed.success) {
    return { status: "error", fieldErrors: fieldErrorsFrom(parsed.error.issues), values: { email } };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeReturnPath(form.get("next")) });
  } catch (error) {
    return signInFailure(error, email);
  }
  return { status: "success" };
}

export async function signUpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const raw = {
    email: form.get("email"),
    name: form.get("name") || undefined,
    password: form.get("password"),
  };
  const parsed = signUpSchema.safeParse(raw);
  const values = { email: String(raw.email ?? ""), name: String(raw.name ?? "") };
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsFrom(parsed.error.issues), values };
  try {
    await createUser(await getDatabase(), parsed.data);
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return { status: "error", fieldErrors: { email: error.message }, values };
    }
    throw error;
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: "/",
    });
  } catch (error) {
    return signInFailure(error, parsed.data.email);
  }
  return { status: "success" };
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login?signedOut=1" });
}

export async function oauthSignInAction(form: FormData): Promise<void> {
  const provider = form.get("provider");
  if (provider !== "github" && provider !== "google") return;
  await signIn(provider, { redirectTo: safeReturnPath(form.get("next")) });
}
