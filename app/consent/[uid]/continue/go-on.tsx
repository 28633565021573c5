"use client";

import { useEffect } from "react";

/** After a client-side navigation (the form sent with JavaScript) the refresh tag may not fire; this goes on. */
export function GoOn({ href }: { href: string }) {
  useEffect(() => {
    window.location.replace(href);
  }, [href]);
  return null;
}
