import { describe, expect, it } from "vitest";
import { MAX_ATTACHMENT_BYTES } from "~/domain/attachments";
import { bodyPolicy, FORM_BODY_BYTES } from "./request-body";

describe("bodyPolicy", () => {
  it("streams a signed-in member's multipart post to the 实际支出 page to a file, capped at the attachment limit", () => {
    const policy = bodyPolicy("/plans/abcdefghij12/actuals", true, "multipart/form-data; boundary=----x");
    expect(policy.kind).toBe("file");
    expect(policy.maxBytes).toBeGreaterThan(MAX_ATTACHMENT_BYTES);
    expect(policy.maxBytes).toBeLessThan(MAX_ATTACHMENT_BYTES + 128 * 1024);
    expect(policy.message).toContain("发票附件不能超过 10 MB");
  });

  it("keeps the page's ordinary forms, anonymous posts and other paths in memory", () => {
    expect(bodyPolicy("/plans/abcdefghij12/actuals", true, "application/x-www-form-urlencoded")).toMatchObject({ kind: "memory", maxBytes: FORM_BODY_BYTES });
    expect(bodyPolicy("/plans/abcdefghij12/actuals", false, "multipart/form-data; boundary=x").kind).toBe("memory");
    expect(bodyPolicy("/plans/abcdefghij12/actuals/extra", true, "multipart/form-data; boundary=x").kind).toBe("memory");
    expect(bodyPolicy("/tasks", true, "multipart/form-data; boundary=x").kind).toBe("memory");
  });
});
