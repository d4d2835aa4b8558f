"""Creates the messages table with the greeting.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    messages = op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.String(200), nullable=False),
    )
    op.bulk_insert(messages, [{"id": 1, "text": "안녕하세요"}])


def downgrade():
    op.drop_table("messages")
