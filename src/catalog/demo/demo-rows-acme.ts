import { pad2, round2 } from 'src/catalog/demo/demo-model';

/**
 * Synthetic example rows behind Acme Retail's output ports. Deterministic (no randomness) so every
 * seed and every test sees the same data; names are invented, email addresses use `.example`.
 */

const CUSTOMERS: Array<[string, string, string, string, string, string, string]> = [
  ['C-1001', 'Hannah', 'Becker', 'Berlin', 'DE', 'premium', '2021-03-14'],
  ['C-1002', 'Lukas', 'Schmidt', 'Hamburg', 'DE', 'regular', '2022-07-02'],
  ['C-1003', 'Sofia', 'Rossi', 'Milan', 'IT', 'premium', '2020-11-23'],
  ['C-1004', 'Noah', 'Dubois', 'Lyon', 'FR', 'regular', '2023-01-09'],
  ['C-1005', 'Emma', 'Jansen', 'Utrecht', 'NL', 'occasional', '2023-05-30'],
  ['C-1006', 'Liam', 'Walsh', 'Dublin', 'IE', 'regular', '2021-09-17'],
  ['C-1007', 'Mia', 'Novak', 'Vienna', 'AT', 'premium', '2020-04-05'],
  ['C-1008', 'Elias', 'Weber', 'Munich', 'DE', 'occasional', '2024-02-11'],
  ['C-1009', 'Clara', 'Fischer', 'Cologne', 'DE', 'regular', '2022-12-01'],
  ['C-1010', 'Mateo', 'Garcia', 'Valencia', 'ES', 'occasional', '2024-06-21'],
  ['C-1011', 'Ida', 'Lindqvist', 'Malmo', 'SE', 'premium', '2021-08-08'],
  ['C-1012', 'Jonas', 'Meyer', 'Leipzig', 'DE', 'regular', '2023-10-15'],
];

const ORDER_STATUSES = [
  'delivered',
  'delivered',
  'shipped',
  'delivered',
  'processing',
  'canceled',
  'delivered',
  'returned',
];
const CHANNELS = ['web', 'app', 'store'];

interface Order {
  id: string;
  customer: (typeof CUSTOMERS)[number];
  timestamp: string;
  status: string;
  items: number;
  total: number;
  channel: string;
  first: boolean;
}

const ORDERS: Order[] = Array.from({ length: 24 }, (_, i) => {
  const items = 1 + ((i * 3) % 5);
  return {
    id: `O-2025-${1001 + i}`,
    customer: CUSTOMERS[(i * 5) % CUSTOMERS.length],
    timestamp: `2025-05-${pad2(1 + i)}T${pad2(8 + ((i * 7) % 12))}:${pad2((i * 13) % 60)}:00Z`,
    status: ORDER_STATUSES[i % ORDER_STATUSES.length],
    items,
    total: round2(items * (14.5 + ((i * 17) % 60)) + 4.99),
    channel: CHANNELS[i % CHANNELS.length],
    first: i < CUSTOMERS.length,
  };
});

const email = (c: (typeof CUSTOMERS)[number]): string =>
  `${c[1]}.${c[2]}@mail.example`.toLowerCase();

/** `orders` of `orders_pii_v1` (with `customer_email`) or `orders_npii_v1` (without). */
export function orderRows(withEmail: boolean): unknown[][] {
  return ORDERS.map((o) => [
    o.id,
    o.customer[0],
    ...(withEmail ? [email(o.customer)] : []),
    o.timestamp,
    o.status,
    o.items,
    o.total,
    'EUR',
    o.channel,
    o.first,
  ]);
}

export function customerRows(): unknown[][] {
  return CUSTOMERS.map((c, i) => {
    const orders = ORDERS.filter((o) => o.customer === c && o.status !== 'canceled');
    const history = 80 * ((i % 5) + 1);
    const value = round2(history + orders.reduce((sum, o) => sum + o.total, 0));
    return [
      c[0],
      `${c[1]} ${c[2]}`,
      c[3],
      c[4],
      c[5],
      c[6],
      value,
      orders.length,
      c[5] !== 'occasional' || i % 2 === 0,
    ];
  });
}

const SKUS: Array<[string, string, number]> = [
  ['SKU-10001', 'Espresso Machine Classic', 189.0],
  ['SKU-10002', 'Milk Frother Pro', 49.9],
  ['SKU-10003', 'Ceramic Mug Set (4)', 24.5],
  ['SKU-10004', 'Cast Iron Skillet 28cm', 39.0],
  ['SKU-10005', 'Bamboo Cutting Board', 17.9],
  ['SKU-10006', 'Electric Kettle 1.7L', 34.9],
  ['SKU-10007', 'Chef Knife 20cm', 59.0],
  ['SKU-10008', 'Glass Storage Jars (6)', 22.0],
  ['SKU-10009', 'Pour-Over Coffee Dripper', 19.5],
];
const WAREHOUSES = ['BER-1', 'HAM-2'];

interface Stock {
  sku: (typeof SKUS)[number];
  warehouse: string;
  onHand: number;
  reorderPoint: number;
  countedAt: string;
  soldLast90Days: number;
}

const STOCK: Stock[] = SKUS.flatMap((sku, s) =>
  WAREHOUSES.map((warehouse, w) => {
    const i = s * WAREHOUSES.length + w;
    return {
      sku,
      warehouse,
      onHand: 5 + ((i * 37) % 140),
      reorderPoint: 10 + ((i * 11) % 30),
      countedAt: `2025-06-${pad2(1 + (i % 7))}T06:${pad2((i * 9) % 60)}:00Z`,
      soldLast90Days: (i * 23) % 90,
    };
  }),
);

export function stockLevelRows(): unknown[][] {
  return STOCK.map((s) => [
    s.sku[0],
    s.sku[1],
    s.warehouse,
    s.onHand,
    s.reorderPoint,
    s.countedAt,
    s.onHand < s.reorderPoint,
  ]);
}

/** Items with stock but few sales in the last 90 days, with a recommendation. */
export function shelfWarmerRows(): unknown[][] {
  return [...STOCK]
    .sort((a, b) => a.soldLast90Days - b.soldLast90Days || a.sku[0].localeCompare(b.sku[0]))
    .slice(0, 12)
    .map((s, i) => {
      const daysSinceLastSale = 30 + ((i * 19) % 120);
      const recommendation =
        daysSinceLastSale > 120 ? 'return_to_supplier' : s.onHand > 60 ? 'discount' : 'bundle';
      return [
        s.sku[0],
        s.sku[1],
        s.warehouse,
        s.onHand,
        s.soldLast90Days,
        daysSinceLastSale,
        round2(s.onHand * s.sku[2]),
        recommendation,
        '2025-06-08',
      ];
    });
}

const CARRIERS = ['DHL', 'UPS', 'DPD', 'Hermes'];

export function shipmentRows(): unknown[][] {
  return ORDERS.filter((o) => ['delivered', 'shipped', 'returned'].includes(o.status))
    .slice(0, 15)
    .map((o, i) => {
      const shipped = new Date(Date.parse(o.timestamp) + 26 * 3600_000);
      const delivered = new Date(shipped.getTime() + (30 + ((i * 17) % 50)) * 3600_000);
      return [
        `S-2025-${5001 + i}`,
        o.id,
        CARRIERS[i % CARRIERS.length],
        WAREHOUSES[i % WAREHOUSES.length],
        shipped.toISOString().replace('.000Z', 'Z'),
        o.status === 'shipped' ? null : delivered.toISOString().replace('.000Z', 'Z'),
        o.status === 'shipped' ? 'in_transit' : o.status,
        round2(0.4 + o.items * 0.85),
      ];
    });
}

export function customerCohortRows(): unknown[][] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = new Date(Date.UTC(2024, 5 + i, 1)).toISOString().slice(0, 10);
    const newCustomers = 180 + ((i * 47) % 120);
    const retained = Math.round(newCustomers * (0.42 + ((i * 7) % 20) / 100));
    return [
      month,
      newCustomers,
      retained,
      round2(0.25 + ((i * 5) % 18) / 100),
      round2(42 + ((i * 13) % 25) + 0.5),
      CHANNELS[(i * 2) % CHANNELS.length],
    ];
  });
}

const SEARCH_TERMS: Array<[string, string | null]> = [
  ['espresso machine', 'SKU-10001'],
  ['milk frother', 'SKU-10002'],
  ['mug set', 'SKU-10003'],
  ['cast iron pan', 'SKU-10004'],
  ['cutting board', 'SKU-10005'],
  ['kettle', 'SKU-10006'],
  ['chef knife', 'SKU-10007'],
  ['storage jars', 'SKU-10008'],
  ['pour over', 'SKU-10009'],
  ['coffee grinder', null],
];

export function searchQueryRows(): unknown[][] {
  return Array.from({ length: 20 }, (_, i) => {
    const [term, sku] = SEARCH_TERMS[(i * 3) % SEARCH_TERMS.length];
    const clicked = sku !== null && i % 4 !== 3 ? sku : null;
    return [
      `Q-${700001 + i}`,
      `2024-11-${pad2(1 + i)}T${pad2(7 + ((i * 5) % 14))}:${pad2((i * 29) % 60)}:00Z`,
      term,
      sku === null ? 0 : 3 + ((i * 7) % 40),
      clicked,
      i % 3 === 0 ? 'app' : 'web',
      clicked !== null && i % 3 !== 1,
    ];
  });
}
