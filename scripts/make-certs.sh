#!/usr/bin/env bash
# Makes a mesh CA and, per gateway, a PKCS12 keystore signed by it, plus one PKCS12 truststore
# holding only the CA certificate. Gateways configured with these (nowmesh.mesh.tls, see
# docs/security.md) accept each other over Artery tls-tcp and refuse everyone else.
#
# Usage: scripts/make-certs.sh OUT_DIR [GATEWAY[=SAN,SAN...]]...
#   GATEWAY   a name made of letters, digits, '.', '_' or '-' (default: gateway-1 gateway-2 gateway-3)
#   SAN       subjectAltName entries for hostname verification, e.g. DNS:gw1.lan,IP:10.0.0.5
#             (default: DNS:localhost,IP:127.0.0.1 -- loopback only)
#
# Passwords never go on a command line (ps shows those). They come from the environment:
#   NOWMESH_TLS_KEY_STORE_PASSWORD    used for every gateway keystore made in this run
#   NOWMESH_TLS_TRUST_STORE_PASSWORD  used for the truststore
# or are generated and written next to the store as <store>.password (mode 0600).
# Optional: NOWMESH_CERT_DAYS (default 825), NOWMESH_CA_NAME (default "NowMesh mesh CA").
#
# Re-running with the same OUT_DIR reuses the CA (ca.key + ca.crt) to add gateways; it refuses to
# overwrite an existing gateway keystore. Keep ca.key offline: whoever holds it can mint members.
#
# Output (everything but ca.crt is 0600):
#   ca.crt ca.key truststore.p12 [truststore.p12.password] <gw>.p12 [<gw>.p12.password]
set -euo pipefail
umask 077

die() { echo "make-certs: $*" >&2; exit 2; }

[[ $# -ge 1 ]] || die "usage: $0 OUT_DIR [GATEWAY[=SAN,SAN...]]..."
out=$1; shift
gateways=("$@")
[[ ${#gateways[@]} -gt 0 ]] || gateways=(gateway-1 gateway-2 gateway-3)
days=${NOWMESH_CERT_DAYS:-825}
[[ $days =~ ^[0-9]+$ ]] || die "NOWMESH_CERT_DAYS must be a number of days, got '$days'"
ca_name=${NOWMESH_CA_NAME:-NowMesh mesh CA}
[[ $ca_name =~ ^[A-Za-z0-9\ ._-]+$ ]] || die "NOWMESH_CA_NAME may only hold letters, digits, space, . _ -"
command -v openssl >/dev/null || die "openssl not found"
command -v keytool >/dev/null || die "keytool not found (install a JDK)"

mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A fresh random password; hex so it survives any config syntax unquoted.
new_password() { openssl rand -hex 24; }

# Writes a password file readable by the owner only.
write_secret() { (umask 077; printf '%s' "$2" >"$1"); chmod 600 "$1"; }

# --- the CA -----------------------------------------------------------------------------------
if [[ -f $out/ca.key && -f $out/ca.crt ]]; then
  echo "make-certs: reusing the CA in $out"
else
  [[ ! -e $out/ca.key && ! -e $out/ca.crt ]] || die "$out holds only half a CA (ca.key/ca.crt); refusing"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out/ca.key" -out "$out/ca.crt" -days "$days" -subj "/O=NowMesh/CN=$ca_name" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 "$out/ca.key"; chmod 644 "$out/ca.crt"
fi

# --- the truststore: the CA certificate only, so only CA-signed peers are trusted --------------
if [[ ! -f $out/truststore.p12 ]]; then
  tpw=${NOWMESH_TLS_TRUST_STORE_PASSWORD:-}
  if [[ -z $tpw ]]; then tpw=$(new_password); write_secret "$out/truststore.p12.password" "$tpw"; fi
  NM_STOREPASS=$tpw keytool -importcert -noprompt -alias nowmesh-mesh-ca -file "$out/ca.crt" \
    -keystore "$out/truststore.p12" -storetype PKCS12 -storepass:env NM_STOREPASS \
    >"$work/keytool.log" 2>&1 || { cat "$work/keytool.log" >&2; die "keytool could not write the truststore"; }
  chmod 600 "$out/truststore.p12"
fi

# --- one keystore per gateway ------------------------------------------------------------------
for spec in "${gateways[@]}"; do
  name=${spec%%=*}
  san=DNS:localhost,IP:127.0.0.1
  [[ $spec == *=* ]] && san=${spec#*=}
  [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "gateway name '$name' may only hold letters, digits, . _ -"
  [[ $san =~ ^((DNS|IP):[A-Za-z0-9.:*-]+)(,(DNS|IP):[A-Za-z0-9.:*-]+)*$ ]] \
    || die "SANs for '$name' must look like DNS:host,IP:addr, got '$san'"
  [[ ! -e $out/$name.p12 ]] || die "$out/$name.p12 exists; refusing to overwrite"

  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$work/$name.key" -out "$work/$name.csr" -subj "/O=NowMesh/CN=$name" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyAgreement" \
    "extendedKeyUsage=serverAuth,clientAuth" \
    "subjectAltName=$san" >"$work/$name.ext"
  openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$days" -sha256 \
    -extfile "$work/$name.ext" -out "$work/$name.crt" 2>/dev/null

  kpw=${NOWMESH_TLS_KEY_STORE_PASSWORD:-}
  if [[ -z $kpw ]]; then kpw=$(new_password); write_secret "$out/$name.p12.password" "$kpw"; fi
  # The key's password equals the store's (PKCS12 as Java reads it); Akka's key-password follows.
  NM_STOREPASS=$kpw openssl pkcs12 -export -name "$name" -inkey "$work/$name.key" \
    -in "$work/$name.crt" -certfile "$out/ca.crt" -out "$out/$name.p12" -passout env:NM_STOREPASS
  chmod 600 "$out/$name.p12"
  echo "make-certs: $out/$name.p12 (CN=$name, $san)"
done
