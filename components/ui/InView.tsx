'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Renders its children only while they are on (or near) the screen, and a box of the same fixed height otherwise:
 * live charts below the fold cost nothing, and nothing moves when they come into view.
 */
export function InView({
  height,
  children,
  className = '',
}: {
  height: number;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)), {
      rootMargin: '200px 0px',
    });
    io.observe(el);
    return () => io.disconnect();
  }, []);
  return (
    <div ref={ref} className={className} style={{ minHeight: height }}>
      {visible ? children : null}
    </div>
  );
}
