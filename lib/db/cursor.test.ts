import { expect, it } from "vitest";

import { decodeCursor, encodeCursor } from "./cursor";

it("a cursor gives back the time and id it was made from", () => {
  const at = new Date("2026-11-24T08:29:40.090Z");
  expect(decodeCursor(encodeCursor(at, "cm3abc_-9"))).toEqual({ at, id: "cm3abc_-9" });
});

it.each([null, undefined, "", "not a cursor", Buffer.from("12.a b").toString("base64url"), Buffer.from("1234567890123456.x").toString("base64url")])(
  "anything it did not write (%s) means the first page",
  (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  },
);
