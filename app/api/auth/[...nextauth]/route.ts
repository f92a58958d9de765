import { handlers } from "@/app/_server/auth/auth";

export const runtime = "nodejs";
export const { GET, POST } = handlers;
