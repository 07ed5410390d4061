import { Badge } from "@mantine/core";
import { STATUS_COLORS } from "../../lib/theme.ts";

/** A run status as a coloured badge; the text stays the API's status word. */
export function StatusBadge({ status, ...rest }: { status: string; "aria-live"?: "polite"; "data-testid"?: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? "gray"} variant="light" radius="sm" {...rest}>
      {status}
    </Badge>
  );
}
