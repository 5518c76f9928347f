"""Parse a ticket.eml with Python's email package, as a mail client would, and print what matters as JSON."""
import email
import json
import sys
from email import policy

with open(sys.argv[1], "rb") as handle:
    message = email.message_from_bytes(handle.read(), policy=policy.default)

attachments = []
for part in message.iter_attachments():
    content = part.get_content()
    if isinstance(content, str):
        content = content.encode()
    attachments.append({"filename": part.get_filename(), "type": part.get_content_type(), "json": json.loads(content)})

body = message.get_body(preferencelist=("plain",))
print(json.dumps({
    "to": str(message["To"]),
    "from": str(message["From"]),
    "subject": str(message["Subject"]),
    "date": str(message["Date"]),
    "message_id": str(message["Message-ID"]),
    "unsent": str(message["X-Unsent"]),
    "multipart": message.is_multipart(),
    "defects": [str(defect) for defect in message.defects],
    "body": body.get_content() if body is not None else None,
    "attachments": attachments,
}))
