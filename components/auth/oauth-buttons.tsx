import { oauthSignInAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";

const LABELS = { github: "Continue with GitHub", google: "Continue with Google" } as const;

/** Shown only for the providers the operator configured. */
export function OAuthButtons({ providers, next }: { providers: (keyof typeof LABELS)[]; next: string }) {
  if (providers.length === 0) return null;
  return (
    <div className="flex flex-col gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
      {providers.map((provider) => (
        <form key={provider} action={oauthSignInAction}>
          <input type="hidden" name="provider" value={provider} />
          <input type="hidden" name="next" value={next} />
          <Button type="submit" variant="secondary" className="w-full">
            {LABELS[provider]}
          </Button>
        </form>
      ))}
    </div>
  );
}
