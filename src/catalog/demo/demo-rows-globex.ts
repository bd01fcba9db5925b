import { pad2, round2 } from 'src/catalog/demo/demo-model';

/**
 * Synthetic example rows behind Globex Financial's output ports. Deterministic; counterparties are
 * invented and IBANs are masked fragments, never valid account numbers.
 */

const COUNTERPARTIES: Array<[string, string, string]> = [
  ['Nordlicht Energie GmbH', 'DE', 'utilities'],
  ['Café Aurora', 'DE', 'restaurants'],
  ['Bright Lane Books Ltd', 'GB', 'retail'],
  ['Van Dijk Logistiek BV', 'NL', 'transport'],
  ['Atelier Moreau SARL', 'FR', 'retail'],
  ['Alpenblick Hotel AG', 'AT', 'travel'],
  ['Stadtwerke Musterstadt', 'DE', 'utilities'],
  ['Pixel Forge Software GmbH', 'DE', 'software'],
  ['Costa Verde Viagens Lda', 'PT', 'travel'],
  ['Baltic Fresh Foods SIA', 'LV', 'groceries'],
];
const METHODS = ['sepa_credit_transfer', 'card', 'sepa_direct_debit', 'card'];
const STATUSES = ['settled', 'settled', 'settled', 'pending', 'settled', 'failed', 'refunded'];

interface Payment {
  id: string;
  bookedAt: string;
  amount: number;
  currency: string;
  counterparty: (typeof COUNTERPARTIES)[number];
  iban: string;
  method: string;
  status: string;
}

const PAYMENTS: Payment[] = Array.from({ length: 20 }, (_, i) => {
  const counterparty = COUNTERPARTIES[(i * 3) % COUNTERPARTIES.length];
  const country = counterparty[1];
  return {
    id: `PAY-2025-${300001 + i}`,
    bookedAt: `2025-04-${pad2(1 + i)}T${pad2(8 + ((i * 5) % 11))}:${pad2((i * 17) % 60)}:00Z`,
    amount: round2(12.4 + ((i * 173) % 2400) + ((i * 37) % 100) / 100),
    currency: country === 'GB' ? 'GBP' : 'EUR',
    counterparty,
    iban: `${country}${pad2(10 + ((i * 13) % 89))} **** **** **** ${pad2((i * 7) % 100)}${pad2((i * 31) % 100)}`,
    method: METHODS[i % METHODS.length],
    status: STATUSES[i % STATUSES.length],
  };
});

export function paymentRows(): unknown[][] {
  return PAYMENTS.map((p) => [
    p.id,
    p.bookedAt,
    p.amount,
    p.currency,
    p.counterparty[0],
    p.iban,
    p.method,
    p.status,
    p.counterparty[2],
    p.counterparty[1] !== 'DE',
  ]);
}

export function fraudScoreRows(): unknown[][] {
  return PAYMENTS.map((p, i) => {
    const score = round2(((i * 41) % 97) / 100 + 0.01);
    const band = score >= 0.8 ? 'high' : score >= 0.5 ? 'medium' : 'low';
    const scoredAt = new Date(Date.parse(p.bookedAt) + (90 + i * 7) * 1000);
    return [
      p.id,
      scoredAt.toISOString().replace('.000Z', 'Z'),
      score,
      band,
      'fs-2025.04',
      score >= 0.8,
    ];
  });
}

const BUSINESS_UNITS = ['cards', 'transfers'];

export function monthlyRevenueRows(): unknown[][] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = new Date(Date.UTC(2024, 11 + Math.floor(i / 2), 1)).toISOString().slice(0, 10);
    const unit = BUSINESS_UNITS[i % 2];
    const transactions = 18_000 + ((i * 2711) % 9000);
    const revenue = round2(transactions * (unit === 'cards' ? 1.85 : 0.42));
    return [month, unit, revenue, transactions, round2(revenue * (0.01 + (i % 4) / 200)), 'EUR'];
  });
}
