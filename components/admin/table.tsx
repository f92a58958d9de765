import type { ReactNode } from "react";

/** A labelled, horizontally scrollable table with the admin page's cell styles. */
export function AdminTable({
  label,
  head,
  children,
}: {
  label: string;
  head: string[];
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
    <section className="overflow-x-auto" tabIndex={0} aria-label={label}>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
          <tr>
            {head.map((cell) => (
              <th key={cell} scope="col" className="px-2 py-2 font-semibold">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">{children}</tbody>
      </table>
    </section>
  );
}

export function Cell({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <td className="px-2 py-2 align-top" data-testid={testId}>
      {children}
    </td>
  );
}

export const when = (iso: string | null) =>
  iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) : "—";
