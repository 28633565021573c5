"use client";

import { useState, useSyncExternalStore } from "react";

/** Copies `text` to the clipboard; only once the page is live (without JavaScript the text is there to select). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const live = useSyncExternalStore(
    () => () => {},
    () => typeof navigator !== "undefined" && Boolean(navigator.clipboard),
    () => false,
  );
  const [copied, setCopied] = useState(false);
  if (!live) return null;
  return (
    <button
      type="button"
      className="button secondary small"
      aria-live="polite"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
      }}
    >
      {copied ? "Copied" : label}
    </button>
  );
}
