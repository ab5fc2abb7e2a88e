export function Reference() {
  return (
    <main className="page">
      <h1>API</h1>
    </main>
  );
}
