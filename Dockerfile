# The ttx server image: used by docker-compose.yml for both the migration step and the app.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TTX_DATA_DIR=/data TTX_SCENARIO_DIR=/srv/ttx/exercises TTX_HOST=0.0.0.0
WORKDIR /srv/ttx
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY frontend ./frontend
COPY exercises ./exercises
RUN pip install -e '.[postgres,redis]' \
    && useradd --system --home /srv/ttx ttx && mkdir -p /data && chown ttx /data
USER ttx
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["ttx", "serve"]
