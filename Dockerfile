# FarLab: `farlab serve` on port 8000. Build: docker build -t farlab .
# Migrations are an explicit step: FARLAB_MIGRATE_ON_START=true (or `--migrate` before the
# command), or `docker run ... farlab migrate`. See README.md, "Containers".

FROM python:3.11-slim AS builder
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY api ./api
COPY bot ./bot
COPY charts ./charts
COPY console ./console
COPY domain ./domain
COPY farlab ./farlab
COPY observability ./observability
COPY persistence ./persistence
COPY scheduler ./scheduler
COPY slack_stand_in ./slack_stand_in
# FarLab's wheel and the wheels of everything it needs (all published as binary wheels).
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FARLAB_AUTO_MIGRATE=false \
    FARLAB_HOST=0.0.0.0 \
    FARLAB_PORT=8000
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels farlab \
    && rm -rf /wheels \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/farlab --create-home farlab
COPY --chmod=755 scripts/container-start.sh /usr/local/bin/farlab-container-start
# The default SQLite database (sqlite:///farlab.db) lives here: mount a volume on it.
WORKDIR /var/lib/farlab
USER farlab
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('FARLAB_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["farlab-container-start"]
CMD ["farlab", "serve", "--host", "0.0.0.0"]
