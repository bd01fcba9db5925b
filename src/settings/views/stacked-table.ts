import { markup, SafeHtml } from 'src/oauth/authorize/views/html';

/**
 * A data table's columns, named once: the header row and, for a phone, the label shown above each
 * cell when the table is stacked into one block per row (CSS `::before` by column position, so the
 * cells themselves stay plain `<td>`). The last column holds the row's actions (no visible header).
 */
export interface StackedTable {
  /** The table's class, e.g. `keys`. */
  name: string;
  columns: readonly string[];
}

export const KEYS_TABLE: StackedTable = {
  name: 'keys',
  columns: ['Name', 'Key', 'Organization', 'Created', 'Last used', 'Expires', 'Access'],
};
export const ORGANIZATION_KEYS_TABLE: StackedTable = {
  name: 'organization-keys',
  columns: ['Name', 'Key', 'Organization', 'Owner', 'Created', 'Last used', 'Expires', 'Access'],
};
export const APPS_TABLE: StackedTable = {
  name: 'apps',
  columns: ['App', 'Sends you back to', 'Organization', 'Permissions', 'Granted', 'Last used'],
};
export const MEMBERS_TABLE: StackedTable = {
  name: 'members',
  columns: ['Name', 'Email', 'Role', 'Joined'],
};

/** `<thead>` with the columns and a visually hidden "Actions" header for the last one. */
export function tableHead(table: StackedTable): SafeHtml {
  const cells = table.columns.map((c) => markup`<th scope="col">${c}</th>`);
  return markup`<thead><tr>${cells}<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>`;
}

/** The `::before` labels of a stacked table's cells (inside the stylesheet's phone media query). */
export function stackedLabels(tables: readonly StackedTable[]): string {
  return tables
    .flatMap((t) =>
      t.columns.map(
        (label, i) =>
          `  table.${t.name} td:nth-child(${i + 1})::before { content: ${JSON.stringify(label)}; }`,
      ),
    )
    .join('\n');
}
