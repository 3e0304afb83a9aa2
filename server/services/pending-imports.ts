// What both kinds of import (sites and grids) do with an upload nobody commits or cancels:
// after PENDING_TTL_MS it expires, closed once as a cancel would be, so that what the store
// keeps of abandoned uploads (rows, parsed grids, previews) stays bounded. Each service
// sweeps its own at every upload and checks at commit.

/** How long an import may stay pending before it expires. */
export const PENDING_TTL_MS = 24 * 3_600_000;

/** Said in an expired import's report, and to a commit that comes too late. */
export const EXPIRED = '导入已过期（24 小时内未提交），请重新上传 (expired)';

export const isExpired = (report: { status: string; createdAt: number }, now: number): boolean => report.status === 'pending' && now - report.createdAt > PENDING_TTL_MS;
