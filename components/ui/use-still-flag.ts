'use client';

import { useEffect, type RefObject } from 'react';

/** How long after the last scroll event the page counts as still: about two wheel notches apart. */
const STILL_AFTER_MS = 150;

/**
 * Marks the element `data-still` unless the page or anything in it scrolls (and until STILL_AFTER_MS after), for styles
 * to hold back what would otherwise change at every frame of a scroll: the `row-hover` variants (app/globals.css). The
 * element is rendered with the mark; one timer a scroll, pushed back only when it fires early.
 */
export function useStillFlag(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      const left = last + STILL_AFTER_MS - performance.now();
      if (left > 0) {
        timer = setTimeout(settle, left);
        return;
      }
      timer = undefined;
      if (ref.current) ref.current.dataset.still = '';
    };
    const onScroll = () => {
      last = performance.now();
      if (timer !== undefined) return;
      delete ref.current?.dataset.still;
      timer = setTimeout(settle, STILL_AFTER_MS);
    };
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => {
      document.removeEventListener('scroll', onScroll, { capture: true });
      clearTimeout(timer);
    };
  }, [ref]);
}
