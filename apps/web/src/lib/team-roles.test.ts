import { describe, expect, it } from "vitest";
import { apiMessage, auditDetail, canLeave, canManageMembers, canReadAudit, expiryFor, inviteLink, tokenState } from "./team-roles.ts";

describe("team settings helpers", () => {
  it("gives owners the management actions and viewers none", () => {
    expect([canManageMembers("OWNER"), canManageMembers("MEMBER"), canManageMembers("VIEWER")]).toEqual([true, false, false]);
    expect([canReadAudit("OWNER"), canReadAudit("MEMBER"), canReadAudit("VIEWER")]).toEqual([true, false, false]);
    expect([canLeave("OWNER"), canLeave("MEMBER"), canLeave("VIEWER")]).toEqual([true, true, false]);
  });

  it("tells active, expired and revoked tokens apart", () => {
    const now = Date.parse("2026-01-02T00:00:00Z");
    expect(tokenState({ expiresAt: null, revokedAt: null }, now)).toBe("active");
    expect(tokenState({ expiresAt: "2026-01-03T00:00:00Z" }, now)).toBe("active");
    expect(tokenState({ expiresAt: "2026-01-01T00:00:00Z" }, now)).toBe("expired");
    expect(tokenState({ expiresAt: "2026-01-01T00:00:00Z", revokedAt: "2025-12-31T00:00:00Z" }, now)).toBe("revoked");
  });

  it("turns an expiry choice into a time, or null for never", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(expiryFor("never", now)).toBeNull();
    expect(expiryFor("30", now)).toBe("2026-01-31T00:00:00.000Z");
    expect(expiryFor("unknown", now)).toBeNull();
  });

  it("formats audit details, API messages and invite links", () => {
    expect(auditDetail({ to: "VIEWER", from: "MEMBER", email: "ada@example.com", none: null })).toBe("email: ada@example.com, from: MEMBER, to: VIEWER");
    expect(auditDetail({})).toBe("");
    expect(apiMessage("[GraphQL] the team's last owner cannot leave", "x")).toBe("the team's last owner cannot leave");
    expect(apiMessage(undefined, "failed")).toBe("failed");
    expect(inviteLink("http://localhost:3000", "rbi_a+b")).toBe("http://localhost:3000/join?token=rbi_a%2Bb");
  });
});
