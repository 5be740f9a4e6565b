/**
 * Checking a container image reference before it goes into a manifest, so a
 * typo fails here rather than as ErrImagePull on every pod. The grammar is the
 * OCI distribution reference grammar (github.com/distribution/reference,
 * regexp.go): [domain[:port]/]path[:tag][@digest], path components lower case.
 */
import { UsageError } from '../core/errors.js';
import { quote } from '../core/text.js';

const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** The longest repository name the grammar allows. */
const NAME_MAX = 255;

/** Throws UsageError naming what is wrong with `ref` as an image reference. */
export function checkImageRef(ref: string): void {
  const fail = (why: string): never => {
    throw new UsageError(`--image ${quote(ref)}: ${why}; expected an image reference such as rackbench:0.1.0, registry.example.com:5000/team/rackbench:0.1.0 or name@sha256:<digest>`);
  };
  if (ref === '') fail('empty');
  const at = ref.indexOf('@');
  const named = at < 0 ? ref : ref.slice(0, at);
  if (at >= 0 && !DIGEST.test(ref.slice(at + 1))) fail(`${quote(ref.slice(at + 1))} is not a digest (algorithm:hex, e.g. sha256:…)`);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const name = hasTag ? named.slice(0, colon) : named;
  if (hasTag && !TAG.test(named.slice(colon + 1))) fail(`${quote(named.slice(colon + 1))} is not a tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  if (name.length === 0) fail('no repository name');
  if (name.length > NAME_MAX) fail(`the repository name is longer than ${NAME_MAX} characters`);
  const parts = name.split('/');
  // As docker decides: the first part is a registry when it has a dot or a port, or is localhost.
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!DOMAIN.test(first)) fail(`${quote(first)} is not a registry host[:port]`);
    parts.shift();
  }
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      fail(part !== part.toLowerCase() ? `${quote(part)}: repository names are lower case` : `${quote(part)} is not a repository name component (lower-case letters and digits, separated by . _ __ or -)`);
    }
  }
}
