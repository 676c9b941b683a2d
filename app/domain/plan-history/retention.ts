import type { VersionKind } from "./summary";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * Which versions are kept (docs/decisions/0015-version-history.md): every named,
 * submitted, approved, reopened and restored version for good; automatic versions all for
 * 7 days, then the last of each hour, and after 90 days the last of each day (China time).
 */
export const RETENTION = { keepAllMs: 7 * DAY, hourlyUntilMs: 90 * DAY } as const;

const CHINA_OFFSET_MS = 8 * HOUR;

export interface RetainedVersion {
  id: number;
  kind: VersionKind;
  createdAt: number;
}

/** The automatic versions thinning drops now, given every version of one plan. */
export function versionsToThin(versions: readonly RetainedVersion[], now: number, policy: typeof RETENTION = RETENTION): number[] {
  const lastInBucket = new Map<string, RetainedVersion>();
  const candidates: RetainedVersion[] = [];
  for (const version of versions) {
    const age = now - version.createdAt;
    if (version.kind !== "auto" || age <= policy.keepAllMs) continue;
    const size = age > policy.hourlyUntilMs ? DAY : HOUR;
    const bucket = `${size}:${Math.floor((version.createdAt + CHINA_OFFSET_MS) / size)}`;
    const held = lastInBucket.get(bucket);
    if (!held || version.createdAt > held.createdAt || (version.createdAt === held.createdAt && version.id > held.id)) lastInBucket.set(bucket, version);
    candidates.push(version);
  }
  const kept = new Set([...lastInBucket.values()].map((version) => version.id));
  return candidates.filter((version) => !kept.has(version.id)).map((version) => version.id);
}
