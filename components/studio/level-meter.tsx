/** The microphone's level as a bar; screen readers get it as a meter with a percentage. */

export function LevelMeter({ level }: { level: number }) {
  const percent = Math.round(Math.min(1, Math.max(0, level)) * 100);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot be styled alike across browsers and themes.
    <div
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}%`}
      data-testid="level-meter"
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
    >
      <div
        className={`h-full rounded-full transition-[width] duration-100 ${percent > 90 ? "bg-red-600" : "bg-emerald-600"}`}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
