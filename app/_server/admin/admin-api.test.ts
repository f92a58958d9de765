/**
 * The admin API called as Next calls it (the exported handlers), with API keys on a real SQLite
 * file: who may use it, what each action does at once, and what the audit log keeps.
 */
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { getDatabase } from "@/app/_server/db/client";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { listAudit } from "@/app/_server/db/queries/audit-log";
import { createUser, setRole } from "@/app/_server/db/queries/users";
import type { AnyApiKeyScope } from "@/lib/schemas/api-keys";
import { proxy } from "@/proxy";
import { stubEmbeddedEnv } from "@/test/embedded-env";

stubEmbeddedEnv("admin-api");

// Imported after the settings are stubbed: route modules read them when first called.
const routes = {
  blocks: () => import("@/app/api/admin/blocks/route"),
  block: () => import("@/app/api/admin/blocks/[id]/route"),
  users: () => import("@/app/api/admin/users/route"),
  user: () => import("@/app/api/admin/users/[id]/route"),
  limits: () => import("@/app/api/admin/limits/route"),
  audit: () => import("@/app/api/admin/audit/route"),
  jobs: () => import("@/app/api/jobs/route"),
};

async function person(role: "user" | "admin", scopes: AnyApiKeyScope[]) {
  const db = await getDatabase();
  const user = await createUser(db, { email: `${randomUUID()}@example.com`, role });
  const { key } = await createApiKey(db, { userId: user.id, scopes });
  return { user, key };
}

const CLIENT = "198.51.100.77";
function call(url: string, key: string, init: { method?: string; body?: unknown } = {}) {
  return new NextRequest(`http://localhost${url}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${key}`,
      "x-forwarded-for": CLIENT,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

describe("admin API authorization", () => {
  it("answers an admin's key with the admin scope", async () => {
    const admin = await person("admin", ["admin"]);
    const limits = await (await routes.limits()).GET(call("/api/admin/limits", admin.key));
    expect(limits.status).toBe(200);
    const body = (await limits.json()) as { quotas: { perTier: { speech: { free: number } } } };
    expect(body.quotas.perTier.speech.free).toBeGreaterThan(0);
    expect((await (await routes.users()).GET(call("/api/admin/users", admin.key))).status).toBe(200);
  });

  it("refuses a key without the admin scope, a plain user's key, a demoted admin's key, and a bad key", async () => {
    const { GET } = await routes.blocks();
    const unscoped = await person("admin", ["speech", "results"]);
    const plain = await person("user", ["admin"]);
    const demoted = await person("admin", ["admin"]);
    expect((await GET(call("/api/admin/blocks", demoted.key))).status).toBe(200);
    await setRole(await getDatabase(), { userId: demoted.user.id, role: "user" });

    for (const key of [unscoped.key, plain.key, demoted.key]) {
      const refused = await GET(call("/api/admin/blocks", key));
      expect(refused.status).toBe(403);
    }
    const bad = await GET(call("/api/admin/blocks", `${demoted.key.slice(0, -2)}xx`));
    expect(bad.status).toBe(401);
    expect(bad.headers.get("WWW-Authenticate")).toContain("Bearer");
  });
});

describe("admin actions", () => {
  it("blocks an account: its next request is refused with when the block ends; lifting lets it back at once", async () => {
    const admin = await person("admin", ["admin"]);
    const target = await person("user", ["results"]);
    const { POST } = await routes.blocks();
    const jobs = await routes.jobs();

    const created = await POST(
      call("/api/admin/blocks", admin.key, {
        method: "POST",
        body: { kind: "account", target: target.user.email, reason: "test", expiresInSeconds: 3600 },
      }),
    );
    expect(created.status).toBe(201);
    const block = (await created.json()) as { id: string; expiresAt: string; target: string };
    expect(block.target).toBe(target.user.id);

    const refused = await jobs.GET(call("/api/jobs", target.key));
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { code: string; message: string; blockedUntil: string } };
    expect(body.error.code).toBe("forbidden:blocked");
    expect(body.error.blockedUntil).toBe(block.expiresAt);
    expect(body.error.message).not.toContain("test");

    const lifted = await (await routes.block()).DELETE(
      call(`/api/admin/blocks/${block.id}`, admin.key, { method: "DELETE" }),
      params(block.id),
    );
    expect(lifted.status).toBe(200);
    // No longer blocked: the request goes on to the backend (which is not running here: 503).
    expect((await jobs.GET(call("/api/jobs", target.key))).status).not.toBe(403);
  });

  it("blocks a network range in the proxy at once, IPv4 and IPv6, and refuses bad ranges by field", async () => {
    const admin = await person("admin", ["admin"]);
    const { POST } = await routes.blocks();
    const page = (address: string) =>
      proxy(new NextRequest("http://localhost/", { headers: { "x-forwarded-for": address } }));
    expect((await page("203.0.113.9")).status).toBe(200);

    for (const target of ["203.0.113.0/24", "2001:db8:1::/48"]) {
      const created = await POST(
        call("/api/admin/blocks", admin.key, { method: "POST", body: { kind: "network", target } }),
      );
      expect(created.status).toBe(201);
    }
    const refused = await page("203.0.113.9");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: {
        code: "forbidden:blocked",
        message: "This network address is blocked until an administrator lifts the block",
        blockedUntil: null,
        type: "permission_error",
        param: null,
      },
    });
    expect(refused.headers.get("Content-Security-Policy")).toBeTruthy();
    expect((await page("2001:db8:1:ffff::5")).status).toBe(403);
    expect((await page("2001:db8:2::5")).status).toBe(200);
    expect((await page("203.0.114.1")).status).toBe(200);

    const bad = await POST(
      call("/api/admin/blocks", admin.key, {
        method: "POST",
        body: { kind: "network", target: "10.0.0.0/33" },
      }),
    );
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(
      "target",
    );
  });

  it("changes role and tier, refuses an admin's own demotion, and audits every action without secrets", async () => {
    const admin = await person("admin", ["admin"]);
    const target = await person("user", ["results"]);
    const { PATCH } = await routes.user();
    const changed = await PATCH(
      call(`/api/admin/users/${target.user.id}`, admin.key, {
        method: "PATCH",
        body: { role: "admin", tier: "pro" },
      }),
      params(target.user.id),
    );
    expect(await changed.json()).toMatchObject({ role: "admin", tier: "pro" });
    // The same values again change nothing, so they are not audited.
    const again = await PATCH(
      call(`/api/admin/users/${target.user.id}`, admin.key, {
        method: "PATCH",
        body: { role: "admin", tier: "pro" },
      }),
      params(target.user.id),
    );
    expect(again.status).toBe(200);
    const self = await PATCH(
      call(`/api/admin/users/${admin.user.id}`, admin.key, { method: "PATCH", body: { role: "user" } }),
      params(admin.user.id),
    );
    expect(self.status).toBe(409);
    const empty = await PATCH(
      call(`/api/admin/users/${target.user.id}`, admin.key, { method: "PATCH", body: {} }),
      params(target.user.id),
    );
    expect(empty.status).toBe(400);

    const entries = (await listAudit(await getDatabase(), { limit: 50 })).filter(
      (entry) => entry.actorId === admin.user.id,
    );
    expect(entries.map((entry) => entry.action).sort()).toEqual(["user.role", "user.tier"]);
    expect(Object.fromEntries(entries.map((entry) => [entry.action, entry.detail]))).toEqual({
      "user.role": { from: "user", to: "admin" },
      "user.tier": { from: "free", to: "pro" },
    });
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorEmail: admin.user.email, target: target.user.email, ip: CLIENT });
    }
    const audit = await (await routes.audit()).GET(call("/api/admin/audit", admin.key));
    const text = await audit.text();
    expect(text).toContain("user.tier");
    for (const key of [admin.key, target.key]) expect(text).not.toContain(key.slice(15));
  });
});
