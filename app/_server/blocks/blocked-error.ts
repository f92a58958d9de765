/** The refusal a blocked caller gets: 403, saying what is blocked and until when, nothing more. */
import { ApiError } from "@/lib/errors";

const NOUN = { network: "network address", account: "account", api_key: "API key" } as const;

export class BlockedError extends ApiError {
  constructor(
    kind: keyof typeof NOUN,
    readonly until: Date | null,
  ) {
    super(
      "forbidden",
      "blocked",
      until
        ? `This ${NOUN[kind]} is blocked until ${until.toISOString()}`
        : `This ${NOUN[kind]} is blocked until an administrator lifts the block`,
    );
    this.name = "BlockedError";
  }

  override toBody() {
    const body = super.toBody();
    return { error: { ...body.error, blockedUntil: this.until?.toISOString() ?? null } };
  }
}
