import { escapeHtml, markup, SafeHtml } from 'src/oauth/authorize/views/html';

describe('escapeHtml', () => {
  it('should escape the characters that end text or attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('should escape an ampersand once (no double-decoding tricks)', () => {
    expect(escapeHtml('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;');
  });

  it('should leave other text, including non-ASCII, untouched', () => {
    expect(escapeHtml('Grüße, 数据 — ok')).toBe('Grüße, 数据 — ok');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('markup', () => {
  it('should escape every interpolated string', () => {
    const name = '"><script>alert(1)</script>';
    expect(markup`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('should keep nested markup as is and escape inside it', () => {
    const inner = markup`<b>${'<i>'}</b>`;
    expect(markup`<p>${inner}</p>`.value).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('should join arrays and render null, undefined and false as nothing', () => {
    expect(markup`<ul>${['<a>', markup`<li>x</li>`]}</ul>${null}${undefined}${false}`.value).toBe(
      '<ul>&lt;a&gt;<li>x</li></ul>',
    );
  });

  it('should treat only SafeHtml instances as safe, not look-alike objects', () => {
    const fake = { value: '<script>' } as unknown as SafeHtml;
    expect(markup`${fake}`.value).toBe('[object Object]');
  });
});
