import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { findMention, MENTION_KEY_PATTERN } from "./mention-node";

function section(build: (fragment: Y.XmlFragment) => void): Y.XmlFragment {
  const fragment = new Y.Doc().getXmlFragment("section:s1");
  build(fragment);
  return fragment;
}

function mention(id: string, key: string): Y.XmlElement {
  const node = new Y.XmlElement("mention");
  node.setAttribute("id", id);
  node.setAttribute("label", "李娜");
  node.setAttribute("key", key);
  return node;
}

describe("findMention", () => {
  it("finds a mention by key at any depth, with its member and the block holding it", () => {
    const cell = new Y.XmlElement("paragraph");
    const fragment = section((root) => {
      const table = new Y.XmlElement("table");
      const row = new Y.XmlElement("tableRow");
      const td = new Y.XmlElement("tableCell");
      root.insert(0, [table]);
      table.insert(0, [row]);
      row.insert(0, [td]);
      td.insert(0, [cell]);
      cell.insert(0, [new Y.XmlText("请 "), mention("7", "key-in-table-1")]);
    });
    const found = findMention(fragment, "key-in-table-1");
    expect(found?.memberId).toBe(7);
    expect(found?.block).toBe(cell);
  });

  it("answers null for an unknown key, another node type with the key, or an id that is not a member id", () => {
    const fragment = section((root) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.setAttribute("key", "key-on-paragraph");
      root.insert(0, [paragraph]);
      paragraph.insert(0, [mention("abc", "key-bad-id-01"), mention("-3", "key-negative-1")]);
    });
    expect(findMention(fragment, "key-missing-01")).toBeNull();
    expect(findMention(fragment, "key-on-paragraph")).toBeNull();
    expect(findMention(fragment, "key-bad-id-01")).toBeNull();
    expect(findMention(fragment, "key-negative-1")).toBeNull();
  });
});

describe("MENTION_KEY_PATTERN", () => {
  it("accepts the editor's random keys and refuses short or odd ones", () => {
    expect(MENTION_KEY_PATTERN.test("aB3dE6gH9jK2mN5p")).toBe(true);
    expect(MENTION_KEY_PATTERN.test("short")).toBe(false);
    expect(MENTION_KEY_PATTERN.test("has space inside")).toBe(false);
    expect(MENTION_KEY_PATTERN.test("x".repeat(65))).toBe(false);
  });
});
