package dev.him.requests.roi;

/** The legal basis of the request, which decides what may be released. */
public enum RequestType {
  /** The individual's own request (45 CFR 164.524). */
  RIGHT_OF_ACCESS,
  /** A disclosure under the patient's authorization (45 CFR 164.508). */
  AUTHORIZATION,
  /** Legal process without a court order (45 CFR 164.512(e)(1)(ii)). */
  SUBPOENA,
  /** Only what the order expressly authorizes (45 CFR 164.512(e)(1)(i)). */
  COURT_ORDER,
  /** Continuity of care to another provider (164.506(c)(2)): no authorization; a provider asks. */
  TREATMENT,
  /** A disclosure a law requires (164.512(a)): the law or authority must be cited. */
  REQUIRED_BY_LAW,
  OTHER
}
