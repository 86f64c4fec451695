#!/usr/bin/env bash
# The README walkthrough: a relay files a signal, an operator works it, the relay
# follows it to `completed`. Needs a running server seeded with `saferelay demo`,
# and the demo passwords in PHARMACIST_PW and OPERATOR_PW.
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8080}
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)'"$1"')'; }
login() {
  curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | json '["access_token"]'
}

# 1. The pharmacist in Liège signs in and files the signal.
RELAY=$(login pharmacist@demo.saferelay.local "$PHARMACIST_PW")
REF=$(curl -sf "$BASE/api/v1/signals" -H "authorization: Bearer $RELAY" \
  -H "idempotency-key: walkthrough-$(date +%s%N)" -H 'content-type: application/json' \
  -d '{"phone": "0470 12 34 56", "alias": "Anna", "language": "fr",
       "safe_windows": [{"day": "tue", "start": "09:00", "end": "11:30"}],
       "voicemail_ok": false, "urgency": "standard", "consent": true}' | json '["reference"]')
echo "signal filed: $REF"

# 2. The 0800 30 030 operator sees it in the queue, claims it and reveals the contact.
OP=$(login operator.evc@demo.saferelay.local "$OPERATOR_PW")
curl -sf "$BASE/api/v1/cases" -H "authorization: Bearer $OP" | json '["items"][0]["reference"]'
curl -sf -X POST "$BASE/api/v1/cases/$REF/claim" -H "authorization: Bearer $OP" | json '["status"]'
curl -sf -X POST "$BASE/api/v1/cases/$REF/reveal" -H "authorization: Bearer $OP" | json '["phone"]'

# 3. The operator calls, records the attempt, and closes with an outcome.
curl -sf "$BASE/api/v1/cases/$REF/attempts" -H "authorization: Bearer $OP" \
  -H 'content-type: application/json' -d '{"result": "reached"}' | json '["result"]'
curl -sf "$BASE/api/v1/cases/$REF/close" -H "authorization: Bearer $OP" \
  -H 'content-type: application/json' -d '{"outcome": "referred_support"}' | json '["status"]'

# 4. The pharmacist sees the outcome-free status.
curl -sf "$BASE/api/v1/signals/$REF" -H "authorization: Bearer $RELAY" | json '["status"]'
