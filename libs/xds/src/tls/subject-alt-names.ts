/**
 * URI subjectAltNames from Node's rendering of a certificate's SAN extension
 * (`X509Certificate.subjectAltName`, `PeerCertificate.subjectaltname`): entries
 * `TYPE:value` joined by ", ", where Node JSON-quotes any value that contains a comma,
 * quote, backslash or control character so that a crafted name cannot pose as two.
 */
export function uriSubjectAltNames(rendered: string | undefined): string[] {
  if (rendered === undefined || rendered === '') return [];
  const uris: string[] = [];
  let i = 0;
  while (i < rendered.length) {
    const colon = rendered.indexOf(':', i);
    if (colon === -1) break;
    const type = rendered.slice(i, colon);
    let value: string;
    let end: number;
    if (rendered[colon + 1] === '"') {
      end = closingQuote(rendered, colon + 2) + 1;
      value = JSON.parse(rendered.slice(colon + 1, end)) as string;
    } else {
      const comma = rendered.indexOf(', ', colon + 1);
      end = comma === -1 ? rendered.length : comma;
      value = rendered.slice(colon + 1, end);
    }
    if (type === 'URI') uris.push(value);
    i = end + 2;
  }
  return uris;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  throw new SyntaxError('unterminated quoted subjectAltName');
}
