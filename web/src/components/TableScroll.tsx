// A wide table in a horizontally scrolling box. When the table is wider than
// the box, the box is a named region in the tab order, so keyboard users can
// focus it and scroll with the arrow keys (WCAG 2.1.1; axe
// `scrollable-region-focusable`). When everything fits it stays out of the tab
// order: no empty stop between the controls.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  const check = () => {
    const el = ref.current;
    if (el) setScrolls(el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
  };
  // After every render (new rows), before the browser paints; and on resizes.
  useLayoutEffect(check);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(check);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} className="table-scroll" role="region" aria-label={label} tabIndex={scrolls ? 0 : undefined}>
      {children}
    </div>
  );
}
