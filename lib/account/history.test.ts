import { describe, expect, it } from "vitest";

import { foldedHistory } from "./history";

const kinds = (...list: string[]) => list.map((kind) => ({ kind }));

describe("a link's history as the person reads it", () => {
  it("folds the asker's looks before the use into the use", () => {
    expect(foldedHistory(kinds("issued", "opened", "opened", "used")).map((e) => e.kind)).toEqual(["issued", "used"]);
  });

  it("keeps looks from elsewhere, approvals, refusals, and looks after the use", () => {
    expect(foldedHistory(kinds("issued", "opened_elsewhere", "approved", "opened", "used", "opened", "refused")).map((e) => e.kind)).toEqual([
      "issued",
      "opened_elsewhere",
      "approved",
      "used",
      "opened",
      "refused",
    ]);
  });

  it("keeps every look of a link nobody used: that is what a scanner's visit looks like", () => {
    expect(foldedHistory(kinds("issued", "opened", "opened", "expired")).map((e) => e.kind)).toEqual(["issued", "opened", "opened", "expired"]);
  });
});
