#ifndef HUBDOCTOR_COPENSSL_SHIM_H
#define HUBDOCTOR_COPENSSL_SHIM_H
/* Used only by the provider simulator, to serve HTTPS with certificates it makes itself
   (valid, self-signed, expired) so TLS failures can be reproduced on loopback. */
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

/* A P-256 key: fast to generate, accepted by every TLS stack curl links against. */
static inline EVP_PKEY *hd_tls_generate_key(void) {
    return EVP_EC_gen("P-256");
}

/* Adds one X.509v3 extension; X509V3_EXT_conf_nid takes a config string, which is the simplest portable form. */
static inline int hd_tls_add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

/* Makes a certificate for `cn` valid from now+not_before_s to now+not_after_s (seconds, may be negative).
   With issuer NULL it is self-signed. `is_ca` adds basicConstraints CA:TRUE; otherwise SANs for loopback. */
static inline X509 *hd_tls_make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
                                     long not_before_s, long not_after_s, int is_ca, long serial) {
    X509 *cert = X509_new();
    if (!cert) return NULL;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), not_before_s);
    X509_gmtime_adj(X509_getm_notAfter(cert), not_after_s);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"hubdoctor simulator", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509 *signer = issuer ? issuer : cert;
    X509_set_issuer_name(cert, X509_get_subject_name(signer));
    if (is_ca) {
        hd_tls_add_ext(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
        hd_tls_add_ext(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        hd_tls_add_ext(cert, signer, NID_basic_constraints, "CA:FALSE");
        hd_tls_add_ext(cert, signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
        hd_tls_add_ext(cert, signer, NID_ext_key_usage, "serverAuth");
    }
    hd_tls_add_ext(cert, signer, NID_subject_key_identifier, "hash");
    if (!X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256())) { X509_free(cert); return NULL; }
    return cert;
}

/* PEM text of a certificate, malloc'd; the caller frees it with free(). */
static inline char *hd_tls_cert_pem(X509 *cert) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return NULL;
    PEM_write_bio_X509(bio, cert);
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    char *out = malloc((size_t)len + 1);
    if (out) { memcpy(out, data, (size_t)len); out[len] = 0; }
    BIO_free(bio);
    return out;
}

/* A server context presenting `cert` (and `chain`, when given) with `key`. */
static inline SSL_CTX *hd_tls_server_ctx(X509 *cert, EVP_PKEY *key, X509 *chain) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) return NULL;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1) { SSL_CTX_free(ctx); return NULL; }
    if (chain) { X509_up_ref(chain); SSL_CTX_add_extra_chain_cert(ctx, chain); }
    return ctx;
}
#endif
